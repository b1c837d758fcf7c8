"""Services: the only code that touches the database session, one module per aggregate.

``negotiations`` (a negotiation, its scenario and the negotiators' choices), ``advice`` (getting advice, with its
cache), ``versions`` (draft versions, their review and comments), ``positions`` (parties' positions and private
notes), ``people`` (accounts, memberships, invitations), ``exercises`` (training attempts) and ``audit`` (the
trail every other service writes into, in the same transaction as the change it records).
"""
