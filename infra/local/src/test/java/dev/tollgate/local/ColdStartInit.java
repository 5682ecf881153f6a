package dev.tollgate.local;

/**
 * A function's init in a JVM of its own, as Lambda's runtime does it: the handler class loaded from the function's
 * jar and built with its no-argument constructor (its SDK clients, Log4j, Powertools and X-Ray set up from the
 * environment). Prints nothing itself; {@link ColdStartOutputIT} reads what the function printed.
 */
public final class ColdStartInit {

    private ColdStartInit() {}

    public static void main(String[] args) throws ReflectiveOperationException {
        Class.forName(args[0]).getConstructor().newInstance();
        System.out.flush();
        // The SDK's idle threads are not part of an init.
        Runtime.getRuntime().halt(0);
    }
}
