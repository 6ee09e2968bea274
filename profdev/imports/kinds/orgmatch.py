"""Finding organizations named in a file: by INN, full or short name, ignoring quotes and case."""

from typing import Any

from profdev.imports.values import normalize_key
from profdev.orgs.models import Organization


class OrganizationIndex:
    """All organizations of a queryset indexed by INN and normalized names."""

    def __init__(self, organizations: Any) -> None:
        self.by_inn: dict[str, Organization] = {}
        self.by_name: dict[str, list[Organization]] = {}
        for org in organizations:
            if org.inn:
                self.by_inn[org.inn] = org
            for name in {org.name, org.short_name}:
                if name:
                    self.by_name.setdefault(normalize_key(name), []).append(org)

    def find(self, value: Any) -> list[Organization]:
        key = normalize_key(value)
        if not key:
            return []
        if key.isdigit() and key in self.by_inn:
            return [self.by_inn[key]]
        return self.by_name.get(key, [])
