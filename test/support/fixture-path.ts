/** Absolute path of a page under test/fixtures/. */
export function fixturePath(name: string): string {
	return new URL(`../fixtures/${name}`, import.meta.url).pathname;
}
