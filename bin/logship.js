#!/usr/bin/env node
// The shim: everything else lives in dist/cli.js so tests can run main() in-process.
import { main } from "../dist/cli.js";

process.exitCode = await main(process.argv);
