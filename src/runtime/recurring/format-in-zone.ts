/** `2030-01-01 03:00:00 UTC+1`: a slot as the schedule's time zone reads it. */
export function formatInZone(date: Date, timezone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'shortOffset',
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  )
  // Intl says `GMT+2` (and `GMT` or `GMT+0` for UTC); show offsets from UTC.
  const offset = String(parts.timeZoneName).replace(/^GMT(\+0)?$/, 'UTC').replace(/^GMT/, 'UTC')
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${offset}`
}
