package dev.kiai.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiai.core.RequestContext;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.chat.ToolDefinition;
import dev.kiai.core.pricing.Capability;
import dev.kiai.core.pricing.PriceTable;
import dev.kiai.core.prompt.TemplateRef;
import dev.kiai.core.tokens.TokenCounter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RulesPolicyTest {
  private static final PriceTable PRICES = PriceTable.bundled();
  private static final TokenCounter TOKENS = TokenCounter.create(PRICES);
  private static final ModelCatalog CATALOG = ModelCatalog.builder().model("local-llama", ModelInfoFixture.LOCAL)
      .model("gpt-4o-mini", PRICES).model("gpt-4.1", PRICES).build();

  private static final RulesPolicy RULES = RulesPolicy.of(
      Rule.named("acme-legal").tenant("acme").feature("legal").routeTo("gpt-4.1", "gpt-4o-mini"),
      Rule.named("vip").tag("vip").routeTo("gpt-4.1"),
      Rule.named("summaries").template("summarize").routeTo("local-llama", "gpt-4o-mini"),
      Rule.named("sql").promptMatches("(?i)\\bselect\\b.+\\bfrom\\b").routeTo("gpt-4o-mini"),
      Rule.named("tools").requires(Capability.TOOLS).routeTo("local-llama", "gpt-4o-mini"),
      Rule.named("long").inputTokensAtLeast(2000).routeTo("gpt-4.1"));

  private static Optional<RouteDecision> decide(ChatRequest r) {
    return RULES.decide(RoutingInput.of(r, CATALOG, TOKENS));
  }

  private static ChatRequest with(RequestContext c, String text) {
    return ChatRequest.builder().addUser(text).context(c).build();
  }

  @Test
  void eachConditionKindSelectsItsRuleAndConditionsCombine() {
    assertThat(decide(with(RequestContext.builder().tenant("acme").feature("legal").build(), "x")).orElseThrow())
        .extracting(RouteDecision::model, RouteDecision::fallbacks, RouteDecision::reason, RouteDecision::policy)
        .containsExactly("gpt-4.1", List.of("gpt-4o-mini"), "rule acme-legal: tenant=acme & feature=legal", "rules");
    assertThat(decide(with(RequestContext.builder().tenant("other").feature("legal").build(), "x"))).isEmpty();
    assertThat(decide(with(RequestContext.builder().attribute(Rule.TAGS_ATTRIBUTE, List.of("beta", "vip")).build(),
        "x")).orElseThrow().model()).isEqualTo("gpt-4.1");
    assertThat(decide(with(RequestContext.builder().attribute(Rule.TAGS_ATTRIBUTE, "beta, vip").build(), "x"))
        .orElseThrow().reason()).isEqualTo("rule vip: tag=vip");
    assertThat(decide(with(RequestContext.builder().template(TemplateRef.parse("summarize@1.0.0")).build(), "x"))
        .orElseThrow().model()).isEqualTo("local-llama");
    assertThat(decide(ChatRequest.of("Select name FROM users where id = 1")).orElseThrow().model())
        .isEqualTo("gpt-4o-mini");
    assertThat(decide(ChatRequest.of("word ".repeat(2500))).orElseThrow().reason())
        .isEqualTo("rule long: input_tokens>=2000");
    assertThat(decide(ChatRequest.of("hello"))).isEmpty();
  }

  @Test
  void aMatchingRuleWhoseModelCannotServeTheRequestIsSkippedWithTheReason() {
    ChatRequest tools = ChatRequest.builder().addUser("call it")
        .addTool(new ToolDefinition("lookup", "Looks up a thing", "{\"type\":\"object\",\"properties\":{}}"))
        .build();
    // the local model lacks TOOLS and no later rule matches: the policy abstains
    assertThat(decide(tools)).isEmpty();
    RulesPolicy more = RULES.and(Rule.named("any-tools").requires(Capability.TOOLS).routeTo("gpt-4o-mini"));
    RouteDecision d = more.decide(RoutingInput.of(tools, CATALOG, TOKENS)).orElseThrow();
    assertThat(d.model()).isEqualTo("gpt-4o-mini");
    assertThat(d.reason())
        .isEqualTo("rule any-tools: requires TOOLS; skipped tools (local-llama lacks capability TOOLS)");
  }

  @Test
  void firstOfFallsThroughAbstainingPoliciesAndNamesTheDecider() {
    RoutingPolicy policy = RoutingPolicy.firstOf(RULES, RoutingPolicy.cheapestEligible());
    RoutingInput json = RoutingInput.of(ChatRequest.builder().addUser("hi")
        .responseFormat(ResponseFormat.jsonSchema("r", "{\"type\":\"object\"}")).build(), CATALOG, TOKENS);
    RouteDecision d = policy.decide(json).orElseThrow();
    assertThat(d.policy()).isEqualTo("cheapest-eligible");
    assertThat(d.model()).isEqualTo("gpt-4o-mini");
    assertThat(d.fallbacks()).containsExactly("gpt-4.1");
    assertThat(json.ineligibility("local-llama")).contains("lacks capability JSON_SCHEMA");
  }
}
