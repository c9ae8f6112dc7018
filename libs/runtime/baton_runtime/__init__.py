"""Plumbing every Baton service shares: settings, logging, Kafka, stores, health, errors."""
