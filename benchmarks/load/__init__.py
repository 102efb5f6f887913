"""A class without browsers: students that speak Streamlit's own websocket protocol.

``client``: one student (``Student``) and a whole class (``hold_class``) against a server on
this machine; ``server``: the dashboard started as a class starts it, and what its processes
cost (CPU, resident memory). ``benchmarks/class_load.py`` prints the table.
"""
