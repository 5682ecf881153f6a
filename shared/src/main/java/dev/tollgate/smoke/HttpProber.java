package dev.tollgate.smoke;

import java.time.Duration;

/** One {@code GET} of a URL, never following redirects (a redirect is an answer to judge, not a place to go). */
public interface HttpProber {

    /** The status, or {@link ProbeReply#unreachable} when nothing answered within the timeout. */
    ProbeReply get(String url, Duration timeout);
}
