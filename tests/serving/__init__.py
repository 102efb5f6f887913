"""Tests of serving/: nginx's configuration, and serve.py --replicas with real processes."""
