package dev.tollgate.smoke;

/** One probe attempt: the HTTP status the canary answered, or 0 and why there was no answer. */
public record ProbeReply(int status, String detail) {

    public static ProbeReply status(int status) {
        return new ProbeReply(status, "HTTP " + status);
    }

    public static ProbeReply unreachable(String why) {
        return new ProbeReply(0, why);
    }

    public boolean answered() {
        return status > 0;
    }
}
