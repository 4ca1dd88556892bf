"""The steps of §6 as services, one module per step of the standard:

- registration: §6.2 register / submit, accept or refuse a submission (§5.4.3–5.4.4)
- identification: §6.3 identify, dispatch, liaise; the lead section signs for or returns (§6.4.1)
- handling: §6.4 steps, completion (§6.4.2–6.4.3), 催办
- extensions: extending the completion limit
- evaluation: §6.5 invitation, evaluation, verification and the next round
- archive: §6.6.1 filing

Each validates what the step needs and then goes through workflow.need_transition (or, for steps
that do not change the state, locks the need and records a NeedEvent itself). Import from the step's
module: `from hqzt.needs.services.handling import need_complete`.
"""
