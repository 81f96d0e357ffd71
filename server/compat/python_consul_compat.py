"""Debian's python3-consul (python-consul) against a real agent: KV, catalog, health, sessions.

Usage: python3 python_consul_compat.py <http-port>. Prints "ok <n>" with the number of checks
passed; any mismatch raises AssertionError with what differed.
"""
import sys

import consul

port = int(sys.argv[1])
c = consul.Consul(host="127.0.0.1", port=port)
checks = 0


def check(cond, what):
    global checks
    if not cond:
        raise AssertionError(what)
    checks += 1


# KV
check(c.kv.put("py/a", "one") is True, "put")
index, data = c.kv.get("py/a")
check(data["Value"] == b"one" and int(index) > 0, "get %r" % (data,))
index_missing, missing = c.kv.get("py/nope")
check(missing is None and int(index_missing) > 0, "404 keeps X-Consul-Index")
c.kv.put("py/b", "two", flags=7)
_, rows = c.kv.get("py/", recurse=True)
check([r["Key"] for r in rows] == ["py/a", "py/b"] and rows[1]["Flags"] == 7, "recurse %r" % (rows,))
_, keys = c.kv.get("py/", keys=True)
check(keys == ["py/a", "py/b"], "keys %r" % (keys,))
check(c.kv.put("py/a", "x", cas=1) is False, "cas mismatch is False")
check(c.kv.delete("py/b") is True, "delete")

# Blocking read: returns at the wait deadline with the same index when nothing changed.
idx, _ = c.kv.get("py/a")
idx2, _ = c.kv.get("py/a", index=idx, wait="1s")
check(idx2 == idx, "blocking timeout keeps the index")

# Catalog
check(c.catalog.register("pynode", "10.9.8.7", service={"Service": "cache", "ID": "cache-1", "Port": 6379, "Tags": ["a"]},
                          check={"CheckID": "cache-ok", "Name": "cache ok", "Status": "passing", "ServiceID": "cache-1"}) is True, "register")
_, nodes = c.catalog.nodes()
check("pynode" in [n["Node"] for n in nodes], "nodes %r" % (nodes,))
_, services = c.catalog.services()
check(services.get("cache") == ["a"], "services %r" % (services,))
_, inst = c.catalog.service("cache")
check(inst[0]["ServiceID"] == "cache-1" and inst[0]["Address"] == "10.9.8.7", "service %r" % (inst,))
_, node = c.catalog.node("pynode")
check("cache-1" in node["Services"], "node %r" % (node,))

# Health
_, entries = c.health.service("cache", passing=True)
check(len(entries) == 1 and entries[0]["Service"]["ID"] == "cache-1", "health service %r" % (entries,))
_, nchecks = c.health.node("pynode")
check([x["CheckID"] for x in nchecks] == ["cache-ok"], "health node %r" % (nchecks,))
_, passing = c.health.state("passing")
check("cache-ok" in [x["CheckID"] for x in passing], "health state")
_, schecks = c.health.checks("cache")
check(len(schecks) == 1, "health checks")

# Sessions and a lock
sid = c.session.create(name="py-lock", ttl=20)
check(len(sid) == 36, "session id %r" % (sid,))
_, info = c.session.info(sid)
check(info["Name"] == "py-lock" and info["TTL"] == "20s", "session info %r" % (info,))
check(c.kv.put("py/lock", "held", acquire=sid) is True, "acquire")
other = c.session.create(name="other")
check(c.kv.put("py/lock", "x", acquire=other) is False, "contended acquire fails")
_, lock = c.kv.get("py/lock")
check(lock["Session"] == sid and lock["LockIndex"] == 1, "lock holder %r" % (lock,))
renewed = c.session.renew(sid)
check(renewed["ID"] == sid, "renew %r" % (renewed,))
_, listed = c.session.list()
check(len(listed) == 2, "session list")
check(c.session.destroy(sid) is True, "destroy")
_, lock = c.kv.get("py/lock")
check(lock.get("Session") in (None, ""), "destroy releases the lock")
c.session.destroy(other)
c.catalog.deregister("pynode")

print("ok %d" % checks)
