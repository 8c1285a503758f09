from nq57lib.cli import main

raise SystemExit(main())
