"""`python -m ordre.oidc.provider --port 8090`: the local provider, development only."""

import argparse
import os
import sys

from ordre.oidc.provider.defaults import DEFAULT_PORT
from ordre.oidc.provider.server import make


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument(
        "--control", action="store_true", help="enable POST /_control (misbehaviour switches)"
    )
    args = parser.parse_args(argv)
    if os.environ.get("ORDRE_ENV") not in {"dev", "test"}:
        print("ordre.oidc.provider: refusing to run outside ORDRE_ENV=dev or test", file=sys.stderr)
        return 2
    server, provider = make(args.host, args.port, control=args.control, quiet=False)
    print(f"Local identity provider on {provider.base_url}/ (development only)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
