package shop

// upcastOrderPlacedV2 is the hand-written step that the spec marks custom: true.
func upcastOrderPlacedV2(in OrderPlacedV2) (OrderPlacedV3, error) {
	return OrderPlacedV3{
		OrderID:   in.OrderID,
		Quantity:  in.Quantity,
		Lines:     convertLines(in.Lines),
		Meta:      convertMeta(in.Meta),
		Status:    OrderPlacedV3Status(in.Status),
		Ratio:     in.Ratio,
		Grid:      in.Grid,
		Channel:   OrderPlacedV3Channel(in.Channel),
		CreatedAt: in.CreatedAt,
		Flags:     in.Flags,
		Labels:    in.Labels,
		Price:     in.Price,
		Mode:      OrderPlacedV3Mode(in.Mode),
		Blob:      in.Blob,
		Extra:     in.Extra,
		Contact:   in.Contact,
		Tags:      in.Tags,
		Trigger:   in.Trigger,
		Note:      in.Note,
		Total:     in.Quantity * in.Price.Amount,
	}, nil
}

func convertLines(in []OrderPlacedV2Lines) []OrderPlacedV3Lines {
	out := make([]OrderPlacedV3Lines, len(in))
	for i, l := range in {
		out[i] = OrderPlacedV3Lines(l)
	}
	return out
}

func convertMeta(in map[string]OrderPlacedV2Meta) map[string]OrderPlacedV3Meta {
	if in == nil {
		return nil
	}
	out := make(map[string]OrderPlacedV3Meta, len(in))
	for k, v := range in {
		out[k] = OrderPlacedV3Meta(v)
	}
	return out
}
