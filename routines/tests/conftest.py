# The project's shared fixtures live beside the other tests; importing them here makes them
# (and the autouse cache reset) apply to the routines app's tests too.
from tests.conftest import empty_cache, seeded, staff_client  # noqa: F401
