"""The load test: wrk with Lua scripts against a real server over loopback."""
