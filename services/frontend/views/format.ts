const moneyFormats = new Map<string, Intl.NumberFormat>();

/** 8999 cents → "$89.99" (or the order's currency). */
export function money(cents: number, currency = 'USD'): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  return format.format(cents / 100);
}

/** "2026-11-22 10:15:20 UTC": presenters and attendees sit in different time zones. */
export function utcTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
