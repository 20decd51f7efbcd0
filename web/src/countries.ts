// Countries offered at checkout (ISO 3166-1 alpha-2); names come from the browser's Intl data.
const CODES =
  'US CA MX GB IE FR DE NL BE LU AT CH IT ES PT DK SE NO FI PL CZ HU GR RO BG HR SI SK EE LV LT IS AU NZ JP KR SG HK TW IN AE IL ZA BR AR CL CO'.split(
    ' ',
  );

export function countries(): Array<{ code: string; name: string }> {
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames(['en'], { type: 'region' });
  } catch {
    names = undefined;
  }
  return CODES.map((code) => ({ code, name: names?.of(code) ?? code })).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
}
