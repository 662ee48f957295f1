from ent_demo.run import main

raise SystemExit(main())
