/**
Every alert rule, in the order alerts of the same state and severity are listed. A new rule is one object in the
file of its concern, added here.
*/
import {
	cpuKvOverflow,
	kvCachePressure,
	preemptions,
	queueBacklog,
	saturated,
	swapping,
} from './capacity-rules.js';
import {
	prefixCacheLow,
	specDecodeAcceptanceLow,
	throughputDrop,
} from './efficiency-rules.js';
import {
	gpuComputeBound,
	gpuEccUncorrected,
	gpuIdleWhileWaiting,
	gpuThrottling,
	gpuXid,
} from './gpu-rules.js';
import {itlP95High, ttftP95High} from './latency-rules.js';
import {
	deprecatedNamesRule,
	down,
	engineUnhealthy,
	noVllmMetrics,
	restarted,
	serverErrors,
	sleeping,
} from './server-rules.js';

export const ruleList = [
	ttftP95High,
	itlP95High,
	queueBacklog,
	kvCachePressure,
	preemptions,
	swapping,
	cpuKvOverflow,
	saturated,
	prefixCacheLow,
	specDecodeAcceptanceLow,
	throughputDrop,
	down,
	engineUnhealthy,
	serverErrors,
	restarted,
	sleeping,
	noVllmMetrics,
	deprecatedNamesRule,
	gpuXid,
	gpuEccUncorrected,
	gpuThrottling,
	gpuIdleWhileWaiting,
	gpuComputeBound,
] as const;
