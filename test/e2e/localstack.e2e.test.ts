import { describeOrderPipeline } from './order-pipeline-suite.ts';
import { localStackTarget } from './pipeline-target.ts';

await describeOrderPipeline(localStackTarget);
