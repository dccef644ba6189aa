"""Peak resident memory of the current process, in kilobytes.

``VmHWM`` from /proc/self/status is the kernel's high-water mark of this process image's resident
memory. ``getrusage().ru_maxrss`` would be the same figure, except that Linux carries the parent's
peak across fork and exec, so a child started from a big benchmark process would report the
parent's size; it is only used where /proc is missing.
"""

from __future__ import annotations

import resource


def peak_rss_kb() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
