"""dojobot core: the rules and data of live training sessions, free of any framework."""
