"""The stakeholder requirement map: metrics, text digests, pictures and exports."""
