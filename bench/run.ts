/**
`npm run bench`: every benchmark, each printing its figures beside a baseline measured in the same run.
*/
import process from 'node:process';

// The CLI runs React's production build; measure the same (React picks its build when first imported).
process.env['NODE_ENV'] ??= 'production';

type Bench = {
	readonly title: string;
	readonly run: () => Promise<readonly string[]>;
};

const benches: Bench[] = [
	{
		title: 'Parser',
		async run() {
			const {runParseBench} = await import('./parse-bench.js');
			return runParseBench();
		},
	},
	{
		title: 'Samples',
		async run() {
			const {runSamplesBench} = await import('./samples-bench.js');
			return runSamplesBench();
		},
	},
	{
		title: 'View',
		async run() {
			const {runTuiBench} = await import('./tui-bench.js');
			return runTuiBench();
		},
	},
	{
		title: 'Executable',
		async run() {
			const {runBinaryBench} = await import('./executable-bench.js');
			return runBinaryBench();
		},
	},
	{
		title: 'Load generator',
		async run() {
			const {runLoadBench} = await import('./load-bench.js');
			return runLoadBench();
		},
	},
	{
		title: 'GPU',
		async run() {
			const {runGpuBench} = await import('./gpu-bench.js');
			return runGpuBench();
		},
	},
	{
		title: 'Fleet',
		async run() {
			const {runFleetBench} = await import('./fleet-bench.js');
			return runFleetBench();
		},
	},
];

const only = process.argv.slice(2);
for (const bench of benches) {
	if (
		only.length > 0 &&
		!only.some(word => bench.title.toLowerCase().includes(word.toLowerCase()))
	) {
		continue;
	}

	console.log(`\n## ${bench.title}`);
	for (const line of await bench.run()) {
		console.log(line);
	}
}
