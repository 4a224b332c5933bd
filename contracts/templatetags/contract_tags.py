"""Template filters of contract management: money and percentages in Dutch notation.

The filters themselves live in ``core/templatetags/formats.py``; this library keeps the old
``{% load contract_tags %}`` working."""

from django import template

from core.templatetags.formats import euro, number, percent

register = template.Library()
register.filter("euro", euro)
register.filter("percent", percent)
register.filter("number", number)
