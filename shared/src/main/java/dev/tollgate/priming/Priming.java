package dev.tollgate.priming;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: work a function would otherwise do on its first invocation after a restore
 * (loading and initialising classes, the first run of its code paths), done once before Lambda
 * takes the snapshot, through CRaC's {@code beforeCheckpoint} runtime hook. A warm-up is registered
 * only in a SnapStart init ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}); elsewhere
 * (on-demand inits, tests, the local stack) registering does nothing.
 *
 * <p>While a warm-up runs, {@link #active()} is true on its thread, and the AWS clients answer every
 * request in the JVM (as the sample's written answers say, {@link SampleAnswers}, else with an empty
 * success), signed with placeholder credentials: nothing is sent to AWS, no credentials are fetched,
 * nothing is written. Nothing is logged on that thread either, and the
 * deployment events the sample tells reach every sink and leave none: the log line is silenced, the
 * EMF line serialised and dropped, the EventBridge put answered in the JVM.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-java.html">SnapStart runtime hooks for Java</a>
 */
public final class Priming implements Resource {

    /** Lambda sets it to {@code snap-start} while it initialises a function version for its snapshot. */
    public static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";

    /** CRaC holds resources weakly: these references keep every registered warm-up alive until the snapshot. */
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private static final ThreadLocal<Boolean> ACTIVE = ThreadLocal.withInitial(() -> false);

    private final Runnable warmUp;
    private volatile boolean done;

    private Priming(Runnable warmUp) {
        this.warmUp = warmUp;
    }

    /** Runs {@code warmUp} before SnapStart's snapshot; does nothing outside a SnapStart init. */
    public static void registerForSnapStart(Runnable warmUp) {
        if (!"snap-start".equals(System.getenv(INITIALIZATION_TYPE))) {
            return;
        }
        Priming priming = new Priming(warmUp);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    /**
     * Runs {@code warmUp} before SnapStart's snapshot: at once when priming is running on this thread (something made
     * while priming, after the warm-ups were collected), else as {@link #registerForSnapStart} does.
     */
    public static void beforeSnapshot(Runnable warmUp) {
        if (active()) {
            warmUp.run();
        } else {
            registerForSnapStart(warmUp);
        }
    }

    /** Runs every registered warm-up now, as the snapshot would; each runs once. The cold-start benchmark calls it. */
    public static void primeAll() {
        REGISTERED.forEach(Priming::prime);
    }

    /** True on the thread of a running warm-up: AWS clients must not send anything. */
    public static boolean active() {
        return ACTIVE.get();
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew: priming opened no connection and cached no credentials.
    }

    private synchronized void prime() {
        if (done) {
            return;
        }
        done = true;
        try {
            run(warmUp);
        } catch (RuntimeException | LinkageError failure) {
            // Priming is an optimisation: a failure here must never fail the snapshot, only leave that path cold.
            System.err.println("priming stopped early: " + failure);
        }
    }

    /**
     * Runs {@code warmUp} now on this thread as priming: while it runs, AWS clients answer locally and send nothing, and
     * nothing is logged on this thread ({@link SilentLog}).
     */
    public static void run(Runnable warmUp) {
        boolean outer = ACTIVE.get();
        if (outer) {
            warmUp.run();
            return;
        }
        ACTIVE.set(true);
        SilentLog silent = SilentLog.install();
        try {
            warmUp.run();
        } finally {
            silent.close();
            ACTIVE.set(false);
        }
    }
}
