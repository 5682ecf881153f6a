package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/** Priming's loopback exchange runs the real HTTP client's path to an answer, and leaves no thread behind. */
class LoopbackExchangeTest {

    @Test
    void theRealClientGetsItsAnswerOverLoopbackAndTheServerThreadEnds() throws InterruptedException {
        try (SdkHttpClient client = UrlConnectionHttpClient.builder()
                .socketTimeout(Duration.ofSeconds(5))
                .build()) {
            assertEquals(200, LoopbackExchange.run(client));
        }
        for (int wait = 0; wait < 50 && serverThreadAlive(); wait++) {
            Thread.sleep(100);
        }
        assertTrue(!serverThreadAlive(), "the loopback server's thread ended");
    }

    private static boolean serverThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("priming-loopback"));
    }
}
