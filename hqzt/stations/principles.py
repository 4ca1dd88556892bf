"""The six service principles of §4 (服务理念), in the standard's words and order. Every station
shows them where enterprises look: the public notice board, the printed poster and the portal."""

# DB1405 §4
SERVICE_PRINCIPLES: tuple[str, ...] = (
    "以服务为宗旨",
    "以需求为导向",
    "以标准为引领",
    "以品牌为抓手",
    "以质量为根本",
    "以满意为目标",
)
