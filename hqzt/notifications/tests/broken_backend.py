class BrokenSmsBackend:
    """An SMS gateway that is down (for tests)."""

    def send(self, to: str, body: str) -> None:
        raise ConnectionError("短信网关不可用")
