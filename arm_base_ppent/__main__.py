from arm_base_ppent.cli import main

raise SystemExit(main())
