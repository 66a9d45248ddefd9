"""gunicorn's threaded worker, which stops listening as soon as it stops for good.

With a listening socket of its own for each worker (gunicorn.conf.py's reuse_port), the
kernel keeps queueing a stopping worker's share of new connections on that socket for as
long as it is open. gunicorn's worker keeps it open while it finishes its requests in
flight, up to graceful_timeout, and the connections queued meanwhile are then reset. Closed
when the worker stops accepting, the socket leaves the group at once: new connections go to
the other workers, and those already queued are reset then, or handed to another worker
where the kernel allows it (net.ipv4.tcp_migrate_req). On a socket shared with the other
workers, closing this worker's copy changes nothing for them.
"""

from gunicorn.workers.gthread import ThreadWorker as GunicornThreadWorker


class ThreadWorker(GunicornThreadWorker):
    def set_accept_enabled(self, enabled):
        super().set_accept_enabled(enabled)
        # Not accepting while alive means the worker is at its connection limit, and will
        # accept again; not alive, it is stopping (a signal, max_requests, its parent gone).
        if not enabled and not self.alive:
            for listener in self.sockets:
                listener.close()
