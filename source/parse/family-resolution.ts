/**
Which family each sample belongs to: by TYPE and HELP lines and the suffixes a type allows (`x_bucket` of histogram
`x`), with the routes of recent sample names kept so a page's repeated names resolve without a map lookup.
*/
import type {Family, MetricType, Page, Sample} from './page.js';
import {LabelScanner} from './label-sets.js';

/** Sample-name suffixes that belong to a family of the given type (`x_bucket` belongs to histogram `x`). */
export const familySuffixes: ReadonlyArray<
	readonly [suffix: string, types: readonly MetricType[]]
> = [
	['_bucket', ['histogram', 'gaugehistogram']],
	['_count', ['histogram', 'summary']],
	['_sum', ['histogram', 'summary']],
	['_created', ['counter', 'histogram', 'summary']],
	['_total', ['counter']],
	['_gcount', ['gaugehistogram']],
	['_gsum', ['gaugehistogram']],
	['_info', ['info']],
];

export type FamilyBuilder = {
	name: string;
	type: MetricType;
	help: string | undefined;
	unit: string | undefined;
	samples: Sample[];
	/** A `# TYPE` line was seen; families made up from HELP/UNIT or a bare sample are not typed. */
	typed: boolean;
};

/** A sample name with the family and `byName` list its samples go to. */
export type SampleRoute = {
	readonly name: string;
	readonly family: FamilyBuilder;
	readonly list: Sample[];
};

/** Enough for a histogram's `_bucket`, `_count`, `_sum` and `_created`, or a summary's quantiles, count and sum. */
export const recentRouteCount = 4;

export class FamilyScanner extends LabelScanner {
	protected readonly samples: Sample[] = [];

	protected readonly families = new Map<string, FamilyBuilder>();

	protected readonly byName = new Map<string, Sample[]>();

	protected readonly resolved = new Map<string, FamilyBuilder>();

	/** Where the previous sample went: consecutive samples usually share their name. */
	protected lastRoute: SampleRoute | undefined;

	/** The last few sample names read from the page: a histogram cycles through `_bucket`, `_count` and `_sum`. */
	protected readonly recentRoutes: SampleRoute[] = [];

	protected nextRecentRoute = 0;

	/** The name of the last HELP or TYPE line, which the next one usually repeats. */
	protected lastMetadataName = '';

	/** The route of a recent sample whose name is at `pos`, past that name; undefined when none matches. */
	protected recentRouteAt(): SampleRoute | undefined {
		const start = this.pos;
		const last = this.lastRoute;
		if (last !== undefined && this.nameIsAt(last.name, start)) {
			this.pos = start + last.name.length;
			return last;
		}

		for (const route of this.recentRoutes) {
			if (route !== last && this.nameIsAt(route.name, start)) {
				this.pos = start + route.name.length;
				return route;
			}
		}

		return undefined;
	}

	protected familyFor(name: string): FamilyBuilder {
		let family = this.families.get(name);
		if (family === undefined) {
			family = {
				name,
				type: 'untyped',
				help: undefined,
				unit: undefined,
				samples: [],
				typed: false,
			};
			this.families.set(name, family);
		}

		return family;
	}

	protected declareType(name: string, type: MetricType): void {
		// Prometheus' scrape parsers take a repeated TYPE line; the later one holds.
		const family = this.familyFor(name);
		family.type = type;
		family.typed = true;
		// Sample names may now resolve to this family instead of an untyped one.
		this.resolved.clear();
		this.lastRoute = undefined;
		this.recentRoutes.length = 0;
		this.nextRecentRoute = 0;
	}

	protected declareHelp(name: string, help: string): void {
		const family = this.familyFor(name);
		family.help ??= help;
	}

	/** Typed family by exact name, then typed family by name minus a suffix its type allows, else an untyped family. */
	protected resolveFamily(name: string): FamilyBuilder {
		const cached = this.resolved.get(name);
		if (cached !== undefined) {
			return cached;
		}

		const exact = this.families.get(name);
		let family = exact?.typed ? exact : undefined;
		if (family === undefined) {
			for (const [suffix, types] of familySuffixes) {
				if (name.length > suffix.length && name.endsWith(suffix)) {
					const base = this.families.get(name.slice(0, -suffix.length));
					if (base?.typed && types.includes(base.type)) {
						family = base;
						break;
					}
				}
			}
		}

		family ??= exact ?? this.familyFor(name);
		this.resolved.set(name, family);
		return family;
	}

	protected routeFor(name: string): SampleRoute {
		const family = this.resolveFamily(name);
		let list = this.byName.get(name);
		if (list === undefined) {
			list = [];
			this.byName.set(name, list);
		}

		return {name, family, list};
	}

	/** The page read so far, its families as the TYPE, HELP and UNIT lines left them. */
	protected page(): Page {
		const families = new Map<string, Family>();
		for (const [name, builder] of this.families) {
			families.set(name, {
				name: builder.name,
				type: builder.type,
				help: builder.help,
				unit: builder.unit,
				samples: builder.samples,
			});
		}

		return {samples: this.samples, families, byName: this.byName};
	}

	/**
	The route of a sample named `name`, kept among the recent ones so the next sample of that name is found by a compare.
	`known` is the route when the name was one of the recent ones.
	*/
	protected routeOf(
		name: string,
		known: SampleRoute | undefined,
		nameEnd: number,
	): SampleRoute {
		let route = known;
		if (route === undefined) {
			route = this.routeFor(name);
			// Only names read from the page are compared with the page; a quoted name may hold any character.
			if (nameEnd !== -1) {
				this.recentRoutes[this.nextRecentRoute] = route;
				this.nextRecentRoute = (this.nextRecentRoute + 1) % recentRouteCount;
			}
		}

		this.lastRoute = nameEnd === -1 ? undefined : route;
		return route;
	}

	/** Files a sample under its family and name. `route` is known when the name was one of the recent ones. */
	protected addSample(
		sample: Sample,
		known: SampleRoute | undefined,
		nameEnd: number,
	): void {
		const route = this.routeOf(sample.name, known, nameEnd);
		this.samples.push(sample);
		route.family.samples.push(sample);
		route.list.push(sample);
	}
}
