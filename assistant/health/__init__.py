"""Health checks for operators and load balancers: ``/healthz`` (the process answers), ``/readyz`` (it can
serve: database, rule base and clause library, document cache) and ``/metrics`` (Prometheus). No sign-in, nothing
personal in the answers."""

from flask import Blueprint

bp = Blueprint("health", __name__)
