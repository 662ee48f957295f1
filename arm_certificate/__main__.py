from arm_certificate.cli import main

raise SystemExit(main())
