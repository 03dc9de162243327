#!/usr/bin/env node
import '../dist/sla-audit.js';
