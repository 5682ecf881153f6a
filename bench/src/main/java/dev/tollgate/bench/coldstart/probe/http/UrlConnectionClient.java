package dev.tollgate.bench.coldstart.probe.http;

import java.time.Duration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/** The JDK's HttpURLConnection, as AwsClients builds it. */
final class UrlConnectionClient {

    private UrlConnectionClient() {}

    static SdkHttpClient build() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(Duration.ofSeconds(20))
                .build();
    }
}
