// The idle lock: after a while without input (keys, mouse, wheel, touch)
// the app locks, so a laptop left open does not show cases to whoever
// passes by.
import { useEffect, useRef } from "preact/hooks";

/** What counts as someone at the computer. */
export const ACTIVITY_EVENTS = ["keydown", "mousedown", "mousemove", "wheel", "touchstart"] as const;

/**
 * Calls `onIdle` once `seconds` pass without any of ACTIVITY_EVENTS, while
 * `active`. Input only notes the time (mousemove comes often); one timer
 * checks, and waits again for what is left when there was input meanwhile.
 */
export function useIdle(seconds: number, onIdle: () => void, active: boolean) {
  const callback = useRef(onIdle);
  callback.current = onIdle;
  useEffect(() => {
    if (!active || !(seconds > 0)) return;
    const wait = seconds * 1000;
    let last = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      const idle = Date.now() - last;
      if (idle >= wait) {
        timer = undefined;
        callback.current();
      } else timer = setTimeout(check, wait - idle);
    };
    const seen = () => {
      last = Date.now();
    };
    timer = setTimeout(check, wait);
    const opts = { capture: true, passive: true };
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, seen, opts);
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, seen, opts);
    };
  }, [seconds, active]);
}
