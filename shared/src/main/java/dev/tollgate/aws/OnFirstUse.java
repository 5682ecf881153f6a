package dev.tollgate.aws;

import dev.tollgate.priming.Priming;
import java.util.function.Supplier;

/**
 * Something costly to make (an SDK client, a runner holding one) that only some paths of a function use: made on
 * its first use and kept for the life of the container, so a cold start that does not take those paths does not pay
 * for it. In a SnapStart init it is made before the snapshot instead (by {@link Priming}), so no path pays for it
 * after a restore.
 */
public final class OnFirstUse<T> implements Supplier<T> {

    private final Supplier<? extends T> factory;
    private T value;

    private OnFirstUse(Supplier<? extends T> factory) {
        this.factory = factory;
    }

    public static <T> OnFirstUse<T> of(Supplier<? extends T> factory) {
        OnFirstUse<T> lazy = new OnFirstUse<>(factory);
        Priming.registerForSnapStart(lazy::get);
        return lazy;
    }

    @Override
    public synchronized T get() {
        if (value == null) {
            value = factory.get();
        }
        return value;
    }
}
