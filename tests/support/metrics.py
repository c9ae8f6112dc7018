"""Reading a service's /metrics the way Prometheus does."""

from prometheus_client.parser import text_string_to_metric_families


def sample_totals(exposition: str) -> dict[str, float]:
    """Sample name -> value, summed over labels."""
    totals: dict[str, float] = {}
    for family in text_string_to_metric_families(exposition):
        for sample in family.samples:
            totals[sample.name] = totals.get(sample.name, 0.0) + sample.value
    return totals


def labelled(exposition: str, name: str) -> list[tuple[dict[str, str], float]]:
    """Every sample of one name with its labels."""
    return [
        (dict(sample.labels), sample.value)
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
        if sample.name == name
    ]
