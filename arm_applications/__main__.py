from arm_applications.cli import main

raise SystemExit(main())
