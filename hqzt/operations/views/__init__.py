"""站务 pages, one module per kind of station record: the hub, annual plans, weekly reports,
meetings, trainings, visits, staff and rota, work suggestions. Views check input, call one service
(operations.services or the topic's module) and render; reads come from operations.selectors."""
