from arm_programmer.cli import main

raise SystemExit(main())
