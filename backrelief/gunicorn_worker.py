"""gunicorn's threaded worker, which stops listening as soon as it stops for good.

With a listening socket of its own for each worker (gunicorn.conf.py's reuse_port), the
kernel keeps queueing a stopping worker's share of new connections on that socket for as
long as it is open. gunicorn's worker keeps it open while it finishes its requests in
flight, up to graceful_timeout, and the connections queued meanwhile are then reset. Closed
when the worker stops accepting, the socket leaves the group at once: new connections go to
the other workers, and those already queued are reset then, or handed to another worker
where the kernel allows it (net.ipv4.tcp_migrate_req). On a socket shared with the other
workers, closing this worker's copy changes nothing for them.

It relies on gunicorn 27's threaded worker calling set_accept_enabled(False) once its loop
ends (pyproject.toml pins gunicorn 27; tests/test_worker_balance.py checks it for real).
"""

from gunicorn.workers.gthread import ThreadWorker


class EarlyClosingThreadWorker(ThreadWorker):
    def set_accept_enabled(self, enabled):
        super().set_accept_enabled(enabled)
        # Not accepting while alive means the worker is at its connection limit, and will
        # accept again; not alive, it is stopping (a signal, max_requests, its master gone).
        if not enabled and not self.alive:
            for listener in self.sockets:
                listener.close()

    def is_parent_alive(self):
        # gunicorn leaves its loop without marking the worker stopped when the master is
        # gone: marked here, it stops listening too, and a master started again (by a
        # supervisor) doesn't find the orphan's socket still listening on its port.
        alive = super().is_parent_alive()
        if not alive:
            self.alive = False
        return alive
