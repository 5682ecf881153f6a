package dev.tollgate.handler;

import dev.tollgate.errors.TollgateException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * How a failure no service turned into a Tollgate error becomes one, told by the library it came from: each library a
 * function uses registers its translation when the function first uses it (building AWS clients registers the AWS
 * SDK's). {@link JsonHandler} names no library, so a function that builds no AWS client (validate-request, whose jar
 * carries no SDK) never loads the SDK's classes.
 */
public final class KnownFailures {

    private static final List<Function<RuntimeException, Optional<TollgateException>>> TRANSLATIONS =
            new CopyOnWriteArrayList<>();

    private KnownFailures() {}

    /** Adds {@code translation} once (register a constant: the same one registered again is ignored). */
    public static void register(Function<RuntimeException, Optional<TollgateException>> translation) {
        if (!TRANSLATIONS.contains(translation)) {
            TRANSLATIONS.add(translation);
        }
    }

    static Optional<TollgateException> translate(RuntimeException failure) {
        for (Function<RuntimeException, Optional<TollgateException>> translation : TRANSLATIONS) {
            Optional<TollgateException> known = translation.apply(failure);
            if (known.isPresent()) {
                return known;
            }
        }
        return Optional.empty();
    }
}
