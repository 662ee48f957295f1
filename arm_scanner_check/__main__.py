from arm_scanner_check.cli import main

raise SystemExit(main())
