#!/usr/bin/env node
// The installed `homelab` command (CommonJS, like the entry it runs: Node starts it sooner).
require("../dist/cli.cjs");
