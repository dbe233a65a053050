import { buildApp } from '../src/app.ts';

// Entry point for the CDK CLI (`cdk.json`: "npx tsx bin/app.ts"). Context arrives via CDK_CONTEXT_JSON.
buildApp().app.synth();
