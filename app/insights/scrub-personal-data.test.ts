import { describe, expect, it } from "vitest";
import { scrubPersonalData } from "./scrub-personal-data";

describe("scrubPersonalData", () => {
  it("removes emails, phone numbers and order numbers in every widget language", () => {
    expect(scrubPersonalData("Where is order #1042? Mail me at jo.doe+x@mail.example.com")).toBe("Where is order [order]? Mail me at [email]");
    expect(scrubPersonalData("Call me on +44 20 7946 0958 please")).toBe("Call me on [phone] please");
    expect(scrubPersonalData("Wo ist meine Bestellung Nr. 88123?")).toBe("Wo ist meine Bestellung Nr. [order]?");
    expect(scrubPersonalData("ma commande n° AB-77812 est en retard")).toBe("ma commande n° [order] est en retard");
    expect(scrubPersonalData("mi pedido 55501, teléfono 612 345 678")).toBe("mi pedido [order], teléfono [phone]");
  });

  it("keeps sizes, prices and day counts that products and policies are asked about", () => {
    const question = "Is the 32/34 in stock for 149.00 and can I return it within 30 days?";
    expect(scrubPersonalData(question)).toBe(question);
  });
});
