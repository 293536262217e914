"""Catalog API: published records only."""

from ninja import Router

router = Router(tags=["catalog"])
