package dev.tollgate.priming;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * What AWS answers to the calls a function makes on its priming sample, written down beside the sample events, so
 * that priming runs the sample's whole path (the listener read and set, the service described, the record found) and
 * not only the part before the first empty answer ends it. Each answer is a response body as the service sends it; the
 * SDK's own parser reads it, so the model classes and code paths a real answer reaches are the ones priming warms.
 *
 * <p>The answers of sample {@code shift-traffic.json} lie under {@code /dev/tollgate/priming/answers/shift-traffic/},
 * one file per operation, named by its protocol's operation name ({@code DynamoDB_20120810.GetItem.json},
 * {@code elasticloadbalancing.DescribeListeners.xml}). An operation called more than once with different answers has
 * one file per call ({@code ….1.xml}, {@code ….2.xml}); the plain name answers the calls without a numbered file.
 * Answers that do not depend on the sample (an update's empty answer) lie under {@code answers/any/}.
 */
public final class SampleAnswers {

    static final String ANSWERS = "/dev/tollgate/priming/answers/";
    private static final String ANY_SAMPLE = "any";
    private static final List<String> EXTENSIONS = List.of(".json", ".xml");
    private static final ThreadLocal<SampleAnswers> SERVING = new ThreadLocal<>();

    private final String sample;
    private final Map<String, Integer> calls = new HashMap<>();
    private final List<String> answered = new ArrayList<>();
    private final List<String> unanswered = new ArrayList<>();

    private SampleAnswers(String sample) {
        this.sample = sample;
    }

    /** A response body and whether it is JSON or XML. */
    public record Answer(String body, boolean json) {}

    /**
     * How priming's run of a sample went: the operations answered from the sample's answers, those answered with an
     * empty success because none is written down, and the failure that ended the run early (null when it ran to its
     * end).
     */
    public record SampleRun(String sample, List<String> answered, List<String> unanswered, String endedBy) {

        public static final SampleRun NONE = new SampleRun(null, List.of(), List.of(), null);

        public boolean ranToItsEnd() {
            return endedBy == null;
        }
    }

    /** Runs {@code work} (the handler on sample {@code sampleFile}) with this thread's AWS calls answered from its answers. */
    public static SampleRun serve(String sampleFile, Callable<?> work) {
        SampleAnswers answers = new SampleAnswers(sampleFile.replaceFirst("\\.json$", ""));
        SampleAnswers outer = SERVING.get();
        SERVING.set(answers);
        String endedBy = null;
        try {
            work.call();
        } catch (Exception expected) {
            // A path an answer does not carry to its end (or a sample without answers): what ran before is warm.
            endedBy = expected.toString();
        } finally {
            SERVING.set(outer);
        }
        return new SampleRun(answers.sample, List.copyOf(answers.answered), List.copyOf(answers.unanswered), endedBy);
    }

    /** Runs {@code work} with no sample's answers (a client's protocol warm-up, whichever sample is being served). */
    public static void outside(Runnable work) {
        SampleAnswers outer = SERVING.get();
        SERVING.remove();
        try {
            work.run();
        } finally {
            SERVING.set(outer);
        }
    }

    /** The answer to this call of {@code operation} while a sample is served; empty outside one or when none is written. */
    public static Optional<Answer> answer(String operation) {
        SampleAnswers answers = SERVING.get();
        return answers == null ? Optional.empty() : answers.find(operation);
    }

    private Optional<Answer> find(String operation) {
        int call = calls.merge(operation, 1, Integer::sum);
        Optional<Answer> answer = read(sample + "/" + operation + "." + call)
                .or(() -> read(sample + "/" + operation))
                .or(() -> read(ANY_SAMPLE + "/" + operation));
        (answer.isPresent() ? answered : unanswered).add(operation);
        return answer;
    }

    private static Optional<Answer> read(String name) {
        for (String extension : EXTENSIONS) {
            try (InputStream in = SampleAnswers.class.getResourceAsStream(ANSWERS + name + extension)) {
                if (in != null) {
                    return Optional.of(new Answer(
                            new String(in.readAllBytes(), StandardCharsets.UTF_8), extension.equals(".json")));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.empty();
    }
}
