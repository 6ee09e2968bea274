"""Demo region: Tomsk Region, its 20 municipalities, ~330 schools and the Center (ТОИПКРО)."""

from simple_history.utils import bulk_create_with_history

from profdev.common.demo import DemoContext
from profdev.common.identifiers import make_inn, make_ogrn
from profdev.orgs.choices import Founder, OrganizationKind
from profdev.orgs.demo_data import SETTLEMENTS, TOMSK_MUNICIPALITIES, TOMSK_REGION
from profdev.orgs.models import Municipality, Organization, Region

CENTER_NAME = "ОГБУ ДПО «Томский областной институт повышения квалификации и переподготовки работников образования»"


def _school_specs(ctx: DemoContext) -> list[dict]:
    """Every school to exist, decided by the generator alone (so reruns agree)."""
    rng = ctx.rng
    specs = []
    serial = 0
    for name, _kind, schools in TOMSK_MUNICIPALITIES:
        count = max(1, round(schools * ctx.scale))
        settlements = SETTLEMENTS.get(name, [])
        for number in range(1, count + 1):
            serial += 1
            regional = rng.random() < 0.05
            if name == "Город Томск":
                title = f"МАОУ СОШ № {number} г. Томска"
                short = f"СОШ № {number} (Томск)"
            elif settlements and number <= len(settlements):
                place = settlements[number - 1]
                title = f"МБОУ «{place}ская СОШ»".replace("ская ская", "ская")
                short = f"{place} СОШ"
            else:
                district = name.split()[0]
                title = (
                    f"МБОУ «СОШ № {number}» {district} района"
                    if "район" in name
                    else f"МБОУ «СОШ № {number}» {name}"
                )
                short = f"СОШ № {number} ({district})"
            if regional:
                title = title.replace("МАОУ", "ОГБОУ").replace("МБОУ", "ОГБОУ")
            specs.append(
                {
                    "municipality": name,
                    "name": title,
                    "short_name": short,
                    "founder": Founder.REGION if regional else Founder.MUNICIPALITY,
                    "inn": make_inn(701_700_000 + serial),
                    "ogrn": make_ogrn(102_700_000_000 + serial),
                    "low_results": rng.random() < 0.08,
                }
            )
    return specs


def seed(ctx: DemoContext) -> None:
    region, _ = Region.objects.get_or_create(
        code=TOMSK_REGION["code"], defaults={"name": TOMSK_REGION["name"]}
    )
    ctx.region = region
    existing = {m.name: m for m in Municipality.objects.filter(region=region)}
    new = [
        Municipality(region=region, name=name, kind=kind)
        for name, kind, _schools in TOMSK_MUNICIPALITIES
        if name not in existing
    ]
    if new:
        bulk_create_with_history(new, Municipality, batch_size=500)
    by_name = {m.name: m for m in Municipality.objects.filter(region=region)}
    ctx.municipalities = [by_name[name] for name, _k, _s in TOMSK_MUNICIPALITIES]

    specs = _school_specs(ctx)
    have = set(Organization.objects.filter(region=region).values_list("municipality__name", "name"))
    to_create = [
        Organization(
            region=region,
            municipality=by_name[s["municipality"]],
            kind=OrganizationKind.SCHOOL,
            **{k: v for k, v in s.items() if k != "municipality"},
        )
        for s in specs
        if (s["municipality"], s["name"]) not in have
    ]
    if to_create:
        bulk_create_with_history(to_create, Organization, batch_size=500)
    names = {(s["municipality"], s["name"]) for s in specs}
    schools = Organization.objects.filter(
        region=region, kind=OrganizationKind.SCHOOL
    ).select_related("municipality")
    ctx.schools = sorted(
        (o for o in schools if (o.municipality.name, o.name) in names), key=lambda o: o.inn
    )
    ctx.center, _ = Organization.objects.get_or_create(
        municipality=by_name["Город Томск"],
        name=CENTER_NAME,
        defaults={
            "region": region,
            "short_name": "ТОИПКРО (ЦНППМ)",
            "kind": OrganizationKind.OTHER,
            "founder": Founder.REGION,
            "is_center": True,
            "inn": make_inn(701_799_999),
        },
    )
    ctx.say(
        f"Регион: {region}; муниципалитетов {len(ctx.municipalities)}; школ {len(ctx.schools)} (новых {len(to_create)})"
    )
