package dev.tollgate.local.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local Lambda service's execution environments: every function runs in JVMs of its own under
 * the runtime interface client, started on demand (a cold start), kept warm between invocations, one
 * invocation at a time each, more of them when invocations of a function overlap.
 *
 * <p>Two limits keep a 2-core machine sane: at most {@link Limits#perFunction()} environments per
 * function and {@link Limits#total()} in all (at the total, the least recently used idle environment
 * of another function is stopped to make room). Past them an invocation waits for a free environment.
 * Lambda would answer 429 {@code TooManyRequestsException} instead; moto's Step Functions engine would
 * name that error {@code Exception} rather than {@code Lambda.TooManyRequestsException}, which the
 * state machine's Retry matches, so a local 429 would fail deployments that AWS would retry.
 */
public final class ExecutionEnvironments implements AutoCloseable {

    /** How many environments may run at once, per function and in all. */
    public record Limits(int perFunction, int total) {
        /**
         * Two per function, 32 in all: room for two of each of the template's 14 functions, so a busy stack
         * does not stop one function's warm JVM to start another's (with sixteen, the integration tests
         * started 134 JVMs for 1,575 invocations). A warm JVM takes about 130 MB; on a 2-core machine a
         * cold start costs seconds of CPU and a warm invocation a few hundred milliseconds, so waiting
         * for a warm JVM beats starting a third.
         */
        public static final Limits DEFAULT = new Limits(2, 32);

        public Limits {
            if (perFunction < 1 || total < perFunction) {
                throw new IllegalArgumentException(
                        "limits must allow at least one environment per function: " + perFunction + "/" + total);
            }
        }
    }

    /** What ran: environments started (cold starts), and the most that ran at once with their resident memory then. */
    public record Statistics(int started, int peakEnvironments, long peakResidentMemoryMb) {}

    private final RuntimeInterfaceClient client;
    private final FunctionLog log;
    private final Path scratch;
    private final Limits limits;
    private final Map<String, FunctionConfiguration> functions = new ConcurrentHashMap<>();
    private final Map<String, Path> taskRoots = new ConcurrentHashMap<>();
    // Guarded by this:
    private final Map<String, Deque<ExecutionEnvironment>> idle = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private final Set<ExecutionEnvironment> running = new LinkedHashSet<>();
    private int total;
    private int started;
    private int peakEnvironments;
    private long peakResidentMemoryMb;
    private boolean closed;
    private final java.util.concurrent.ExecutorService initializer = java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())), runnable -> {
                Thread thread = new Thread(runnable, "function-init");
                thread.setDaemon(true);
                return thread;
            });

    /** {@code scratch} holds each function's task root (its jar under {@code lib/}, as Lambda unpacks a deployment package). */
    public ExecutionEnvironments(RuntimeInterfaceClient client, FunctionLog log, Path scratch, Limits limits) {
        this.client = client;
        this.log = log;
        this.scratch = scratch;
        this.limits = limits;
    }

    public void deploy(FunctionConfiguration function) {
        functions.put(function.name(), function);
    }

    public Optional<FunctionConfiguration> function(String name) {
        return Optional.ofNullable(functions.get(name));
    }

    public List<String> functionNames() {
        return List.copyOf(functions.keySet());
    }

    /**
     * Starts one environment of each function, in this order, in the background (as many at a time as
     * the machine has cores, at most two): its init then runs before the first invocation, as SnapStart
     * runs it when a version is published, instead of on the first invocation's path. An invocation that
     * arrives during the init waits for it, as a cold start would.
     */
    public void initialize(List<String> functionNames) {
        for (String name : functionNames) {
            FunctionConfiguration function =
                    function(name).orElseThrow(() -> new IllegalArgumentException("no function " + name));
            initializer.execute(() -> {
                try {
                    ExecutionEnvironment environment = startIdle(function);
                    if (environment != null) {
                        environment.awaitInit();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    // The first invocation starts it again and reports why it cannot start.
                }
            });
        }
    }

    /** An environment put straight among the idle ones, when the limits leave room; null otherwise. */
    private ExecutionEnvironment startIdle(FunctionConfiguration function) {
        synchronized (this) {
            if (closed || total >= limits.total() || counts.getOrDefault(function.name(), 0) >= limits.perFunction()) {
                return null;
            }
            total++;
            counts.merge(function.name(), 1, Integer::sum);
        }
        ExecutionEnvironment environment = start(function);
        release(environment);
        return environment;
    }

    /** Runs one invocation of {@code functionName} in a warm environment, or a new one. */
    public InvocationResult invoke(String functionName, byte[] event, String invokedFunctionArn)
            throws InterruptedException {
        FunctionConfiguration function =
                function(functionName).orElseThrow(() -> new IllegalArgumentException("no function " + functionName));
        ExecutionEnvironment environment = acquire(function);
        try {
            return environment.invoke(event, invokedFunctionArn);
        } finally {
            release(environment);
        }
    }

    private ExecutionEnvironment acquire(FunctionConfiguration function) throws InterruptedException {
        ExecutionEnvironment evicted = null;
        synchronized (this) {
            while (true) {
                if (closed) {
                    throw new IllegalStateException("the local Lambda service is stopped");
                }
                Deque<ExecutionEnvironment> warm = idle.computeIfAbsent(function.name(), name -> new ArrayDeque<>());
                while (!warm.isEmpty()) {
                    // The most recently used first, as Lambda reuses the warmest environment.
                    ExecutionEnvironment environment = warm.pollFirst();
                    if (environment.alive()) {
                        return environment;
                    }
                    forget(environment);
                }
                if (counts.getOrDefault(function.name(), 0) < limits.perFunction()) {
                    if (total >= limits.total()) {
                        evicted = leastRecentlyUsedIdle();
                        if (evicted != null) {
                            idle.get(evicted.function().name()).remove(evicted);
                            forget(evicted);
                        }
                    }
                    if (total < limits.total()) {
                        total++;
                        counts.merge(function.name(), 1, Integer::sum);
                        break;
                    }
                }
                wait(1000);
            }
        }
        if (evicted != null) {
            evicted.close();
        }
        return start(function);
    }

    /** Starts an environment whose place the caller has reserved in the counts; gives the place back if it cannot start. */
    private ExecutionEnvironment start(FunctionConfiguration function) {
        try {
            ExecutionEnvironment environment = ExecutionEnvironment.start(function, log, client, taskRoot(function));
            synchronized (this) {
                running.add(environment);
                started++;
                if (closed) {
                    environment.close();
                    throw new IllegalStateException("the local Lambda service is stopped");
                }
            }
            return environment;
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                total--;
                counts.merge(function.name(), -1, Integer::sum);
                notifyAll();
            }
            throw e instanceof IOException io
                    ? new UncheckedIOException("cannot start " + function.name() + "'s JVM", io)
                    : (RuntimeException) e;
        }
    }

    private void release(ExecutionEnvironment environment) {
        boolean keep;
        synchronized (this) {
            keep = environment.alive() && !closed;
            if (keep) {
                environment.markUsed();
                idle.computeIfAbsent(environment.function().name(), name -> new ArrayDeque<>())
                        .addFirst(environment);
                notePeak();
            } else {
                forget(environment);
            }
            notifyAll();
        }
        if (!keep) {
            environment.close();
        }
    }

    /** Called with the lock held: the environment no longer counts. */
    private void forget(ExecutionEnvironment environment) {
        if (running.remove(environment)) {
            total--;
            counts.merge(environment.function().name(), -1, Integer::sum);
        }
    }

    private ExecutionEnvironment leastRecentlyUsedIdle() {
        ExecutionEnvironment oldest = null;
        for (Deque<ExecutionEnvironment> environments : idle.values()) {
            for (ExecutionEnvironment environment : environments) {
                if (oldest == null || environment.lastUsedNanos() < oldest.lastUsedNanos()) {
                    oldest = environment;
                }
            }
        }
        return oldest;
    }

    /** Samples the environments' memory whenever their number reaches a new peak (a few /proc reads). */
    private void notePeak() {
        if (running.size() >= peakEnvironments) {
            peakEnvironments = running.size();
            peakResidentMemoryMb = Math.max(
                    peakResidentMemoryMb,
                    running.stream()
                            .mapToLong(ExecutionEnvironment::residentMemoryMb)
                            .sum());
        }
    }

    public synchronized Statistics statistics() {
        return new Statistics(started, peakEnvironments, peakResidentMemoryMb);
    }

    /** The PIDs of the JVMs running now. */
    public synchronized List<Long> pids() {
        return running.stream().map(ExecutionEnvironment::pid).toList();
    }

    /** The function's task root: its jar linked under {@code lib/}, where the runtime's class loader finds it. */
    private Path taskRoot(FunctionConfiguration function) {
        return taskRoots.computeIfAbsent(function.name(), name -> {
            try {
                Path lib = Files.createDirectories(
                        scratch.resolve(name).resolve("task").resolve("lib"));
                Path link = lib.resolve(function.jar().getFileName());
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, function.jar().toAbsolutePath());
                return lib.getParent();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lay out " + name + "'s task root under " + scratch, e);
            }
        });
    }

    /** Kills every JVM this service started (by its own process handle) and lets waiting invocations fail. */
    @Override
    public void close() {
        initializer.shutdownNow();
        List<ExecutionEnvironment> stopping;
        synchronized (this) {
            closed = true;
            stopping = new ArrayList<>(running);
            running.clear();
            idle.clear();
            notifyAll();
        }
        stopping.parallelStream().forEach(ExecutionEnvironment::close);
        log.close();
    }
}
