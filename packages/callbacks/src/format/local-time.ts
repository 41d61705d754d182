// Local wall-clock formats of document times, as Python's datetime.fromtimestamp shows them.

const two = (n: number) => String(n).padStart(2, "0");

/** Splits seconds since the epoch into a local Date (whole seconds) and microseconds, rounded as Python. */
function split(time: number): { date: Date; micro: number } {
  let seconds = Math.floor(time);
  let micro = Math.round((time - seconds) * 1e6);
  if (micro >= 1_000_000) {
    seconds += 1;
    micro -= 1_000_000;
  }
  return { date: new Date(seconds * 1000), micro };
}

/** `str(datetime.fromtimestamp(t).time())`: "HH:MM:SS.ffffff", or "HH:MM:SS" on a whole second. */
export function localTimeOfDay(time: number): string {
  const { date, micro } = split(time);
  const clock = `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
  return micro === 0 ? clock : `${clock}.${String(micro).padStart(6, "0")}`;
}

/** `strftime("%Y-%m-%d %H:%M:%S")` of the local time. */
export function localDateTime(time: number): string {
  const { date } = split(time);
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}
