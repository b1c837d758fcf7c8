"""Health checks for operators and load balancers: ``/healthz`` (the process answers) and ``/readyz`` (it can
serve: database, rule base and clause library, document cache). No sign-in, nothing personal in the answer."""

from flask import Blueprint

bp = Blueprint("health", __name__)
